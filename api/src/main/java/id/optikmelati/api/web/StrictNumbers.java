package id.optikmelati.api.web;

import id.optikmelati.contract.PlainNumbers;
import java.beans.PropertyEditorSupport;
import java.util.OptionalLong;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Numbers in paths and query strings (ids, limits, branches) as strictly as in bodies, by the
 * chain's one rule ({@link PlainNumbers}). Spring's own conversion trims, takes a plus sign, reads
 * {@code 0x10} as hex and {@code ٣} as 3, so {@code /api/users/0x10/deactivate} reached user 16.
 */
@ControllerAdvice
class StrictNumbers {

    @InitBinder
    void plainIntegers(WebDataBinder binder) {
        binder.registerCustomEditor(long.class, new Plain(false, false));
        binder.registerCustomEditor(Long.class, new Plain(false, true));
        binder.registerCustomEditor(int.class, new Plain(true, false));
        binder.registerCustomEditor(Integer.class, new Plain(true, true));
    }

    private static final class Plain extends PropertyEditorSupport {

        private final boolean small;
        private final boolean nullable;

        Plain(boolean small, boolean nullable) {
            this.small = small;
            this.nullable = nullable;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || text.isEmpty()) {
                if (nullable) {
                    setValue(null);
                    return;
                }
                throw new IllegalArgumentException("no number");
            }
            OptionalLong plain = PlainNumbers.parse(text);
            if (plain.isEmpty() || small && plain.getAsLong() != (int) plain.getAsLong()) {
                throw new IllegalArgumentException("not a plain integer");
            }
            setValue(small ? Integer.valueOf((int) plain.getAsLong()) : Long.valueOf(plain.getAsLong()));
        }
    }
}
