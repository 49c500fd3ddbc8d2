import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

public class DigitSumTest {
    @Test
    public void zero() {
        assertThat(new DigitSum().of(0)).isEqualTo(0);
    }

    @Disabled("Remove to run test")
    @Test
    public void manyDigits() {
        assertThat(new DigitSum().of(90817)).isEqualTo(25);
    }
}
