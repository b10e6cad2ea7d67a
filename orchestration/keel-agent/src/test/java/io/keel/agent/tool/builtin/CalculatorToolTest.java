package io.keel.agent.tool.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.agent.tool.ToolContext;
import io.keel.agent.tool.ToolException;
import io.keel.core.answer.Caller;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CalculatorToolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String calc(String expression) throws Exception {
        return new CalculatorTool().call(JSON.createObjectNode().put("expression", expression), new ToolContext(Caller.ANONYMOUS, "r"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1 + 2 * 3 | 7", "(1 + 2) * 3 | 9", "2 ^ 3 ^ 2 | 512", "-2 ^ 2 | -4", "10 / 4 | 2.5", "7 % 3 | 1",
            "sqrt(16) + abs(-3) | 7", "max(1, 5, 3) - min(4, 2) | 3", "round(2.5) | 2", "1.5e3 / 3 | 500", "pow(2, 10) | 1024",
            "floor(pi) | 3", "0.1 + 0.2 | 0.3"})
    void evaluatesArithmetic(String expression, String expected) throws Exception {
        assertThat(calc(expression)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 +", "2 * (3", "1 / 0", "java.lang.System.exit(0)", "x + 1", "sqrt(1, 2)", "1 2", "()", "sqrt(-1)"})
    void refusesWhatIsNotArithmeticWithAReason(String expression) {
        assertThatThrownBy(() -> calc(expression)).isInstanceOf(ToolException.class).hasMessageStartingWith("cannot evaluate");
    }

    @org.junit.jupiter.api.Test
    void boundsNesting() {
        assertThatThrownBy(() -> calc("(".repeat(200) + "1" + ")".repeat(200))).hasMessageContaining("nested");
    }
}
