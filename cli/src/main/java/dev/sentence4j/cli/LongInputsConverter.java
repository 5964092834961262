package dev.sentence4j.cli;

import dev.sentence4j.LongInputs;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --long-input} as truncate, error or chunk, in any letter case. */
final class LongInputsConverter implements ITypeConverter<LongInputs> {
    @Override
    public LongInputs convert(String value) {
        try {
            return LongInputs.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a long-input policy; use truncate, error or chunk");
        }
    }
}
