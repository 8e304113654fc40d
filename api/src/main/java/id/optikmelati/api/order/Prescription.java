package id.optikmelati.api.order;

import id.optikmelati.api.problem.ApiProblem;
import java.math.BigDecimal;

/**
 * A spectacle prescription as opticians write it: per eye SPH and CYL in dioptres, in 0.25 steps,
 * the AXIS of the cylinder in whole degrees 0-180 (needed whenever CYL is not zero), an ADD for
 * reading; and the pupillary distance in millimetres, in 0.5 steps.
 */
public record Prescription(Eye right, Eye left, BigDecimal pd) {

    public record Eye(BigDecimal sph, BigDecimal cyl, Integer axis, BigDecimal add) {}

    static final BigDecimal QUARTER = new BigDecimal("0.25");
    private static final BigDecimal HALF = new BigDecimal("0.5");

    /** The prescription as stored, or a 400 naming the first value out of the optician's ranges. */
    Prescription checked() {
        if (right == null || left == null) {
            throw ApiProblem.badRequest("prescription-missing", right == null ? "R" : "L");
        }
        check("R", right);
        check("L", left);
        if (pd == null) {
            throw ApiProblem.badRequest("prescription-missing", "PD");
        }
        inRange("PD", pd, "40", "80", HALF);
        return new Prescription(normalized(right), normalized(left), pd.setScale(1));
    }

    private static void check(String side, Eye eye) {
        if (eye.sph() == null) {
            throw ApiProblem.badRequest("prescription-missing", side + " SPH");
        }
        inRange(side + " SPH", eye.sph(), "-20", "20", QUARTER);
        if (eye.cyl() != null) {
            inRange(side + " CYL", eye.cyl(), "-6", "6", QUARTER);
        }
        boolean cylinder = eye.cyl() != null && eye.cyl().signum() != 0;
        if (cylinder && eye.axis() == null) {
            throw ApiProblem.badRequest("prescription-axis-missing", side);
        }
        if (eye.axis() != null && (eye.axis() < 0 || eye.axis() > 180)) {
            throw ApiProblem.badRequest("prescription-axis-range", side, eye.axis());
        }
        if (eye.add() != null) {
            inRange(side + " ADD", eye.add(), "0.5", "4", QUARTER);
        }
    }

    private static void inRange(String field, BigDecimal value, String min, String max, BigDecimal step) {
        if (value.compareTo(new BigDecimal(min)) < 0 || value.compareTo(new BigDecimal(max)) > 0) {
            throw ApiProblem.badRequest("prescription-range", field, value, new BigDecimal(min), new BigDecimal(max));
        }
        if (value.remainder(step).signum() != 0) {
            throw ApiProblem.badRequest("prescription-step", field, value, step);
        }
    }

    /** Two decimals as opticians write them; no axis without a cylinder. */
    private static Eye normalized(Eye e) {
        boolean cylinder = e.cyl() != null && e.cyl().signum() != 0;
        return new Eye(e.sph().setScale(2), cylinder ? e.cyl().setScale(2) : null, cylinder ? e.axis() : null,
                e.add() == null ? null : e.add().setScale(2));
    }
}
