package dev.sentence4j.quantize;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The number format of output vectors, named as sentence-transformers' {@code precision}. */
public enum Precision {
    /** 32-bit floats: the vectors as computed. */
    FLOAT32,
    /** One signed byte per dimension, scaled between per-dimension minimum and maximum. */
    INT8,
    /** One unsigned byte per dimension, scaled between per-dimension minimum and maximum. */
    UINT8,
    /** One bit per dimension (set when positive), packed 8 to a byte, stored minus 128 as signed bytes. */
    BINARY,
    /** One bit per dimension (set when positive), packed 8 to a byte. */
    UBINARY;

    /** The lower-case name ({@code "int8"}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision of a name, case-insensitively.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static Precision fromName(String name) {
        return Arrays.stream(values()).filter(p -> p.label().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown precision '" + name + "'; known: "
                        + Arrays.stream(values()).map(Precision::label).collect(Collectors.joining(", "))));
    }

    /** Whether values are stored as unsigned bytes. */
    public boolean unsigned() {
        return this == UINT8 || this == UBINARY;
    }
}
