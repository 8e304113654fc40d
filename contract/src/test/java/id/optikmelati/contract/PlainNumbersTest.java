package id.optikmelati.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainNumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "7", "-12", "9223372036854775807", "-9223372036854775808", "007"})
    void asciiDigitsWithAnOptionalMinusAreNumbers(String text) {
        assertThat(PlainNumbers.parse(text)).hasValue(Long.parseLong(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", " 1", "1 ", "٣", "１", "0x10", "1e3", "1.5", "1_000", "9223372036854775808",
            "--1", "1-"})
    void anythingElseIsNot(String text) {
        assertThat(PlainNumbers.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-0"})
    void anUnsignedNumberHasNoMinus(String text) {
        assertThat(PlainNumbers.parseUnsigned(text)).isEmpty();
    }
}
