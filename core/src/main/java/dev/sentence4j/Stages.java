package dev.sentence4j;

import dev.sentence4j.module.FeatureModule;
import dev.sentence4j.module.Pipeline;
import java.util.ArrayList;
import java.util.List;

/** The stage of a type in a pipeline, for the families' accessors that run a model one stage at a time. */
final class Stages {
    private Stages() {}

    /**
     * The pipeline's first module of a type: its input module or one after it.
     *
     * @throws IllegalStateException naming the model and its modules if it has none of the type
     */
    static <T> T first(Pipeline pipeline, Class<T> type, String model) {
        if (type.isInstance(pipeline.input())) {
            return type.cast(pipeline.input());
        }
        List<String> names = new ArrayList<>(List.of(pipeline.input().getClass().getSimpleName()));
        for (FeatureModule module : pipeline.rest()) {
            if (type.isInstance(module)) {
                return type.cast(module);
            }
            names.add(module.getClass().getSimpleName());
        }
        throw new IllegalStateException(model + " has no " + type.getSimpleName() + " module: its modules are " + names);
    }
}
