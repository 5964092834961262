package dev.sentence4j.module;

/**
 * One entry of a model's module list, as its type's class reads it from its folder: an
 * {@link InputModule}, a {@link FeatureModule}, or a {@link Router} of several pipelines.
 */
public interface Module {}
