package dev.sentence4j.layer;

/** The error function, which the JDK lacks, to double precision: for GELU's exact form. */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    /** Beyond this, erf is 1 to double precision (erfc(6) is 2e-17). */
    private static final double SATURATED = 6;

    private Erf() {}

    /**
     * {@code erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n (2x^2)^n x / (2n+1)!!}: every term positive, so
     * nothing cancels, and for {@code |x| < 6} it converges within 150 terms.
     */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a >= SATURATED) {
            return Math.signum(x);
        }
        double twoXSquared = 2 * a * a;
        double term = a;
        double sum = a;
        for (int n = 1; n < 200 && term > sum * 1e-17; n++) {
            term *= twoXSquared / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum, x);
    }
}
