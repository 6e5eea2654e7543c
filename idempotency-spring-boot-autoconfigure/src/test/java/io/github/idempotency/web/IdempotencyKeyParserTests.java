package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdempotencyKeyParserTests {

    private final IdempotencyKeyParser parser = new IdempotencyKeyParser(10);

    @Test
    void bareKeyIsTakenAsIs() {
        assertThat(parse("abc-123").key()).isEqualTo("abc-123");
    }

    @Test
    void structuredFieldStringIsTheSameKeyAsItsContent() {
        assertThat(parse("\"abc-123\"").key()).isEqualTo("abc-123");
    }

    @Test
    void structuredFieldStringUnescapesQuotesAndBackslashes() {
        assertThat(parse("\"a\\\"b\\\\c\"").key()).isEqualTo("a\"b\\c");
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(parse("  abc  ").key()).isEqualTo("abc");
    }

    @Test
    void absentHeaderIsMissing() {
        assertThat(this.parser.parse(Collections.emptyEnumeration()).isMissing())
                .isTrue();
        assertThat(this.parser.parse(null).isMissing()).isTrue();
    }

    @Test
    void emptyAndBlankKeysAreInvalid() {
        assertThat(parse("").isInvalid()).isTrue();
        assertThat(parse("   ").isInvalid()).isTrue();
        assertThat(parse("\"\"").isInvalid()).isTrue();
        assertThat(parse("\" \"").isInvalid()).isTrue();
    }

    @Test
    void controlCharactersAreInvalid() {
        assertThat(parse("a\tb").problem()).contains("control characters");
        // Header bytes 0x80 to 0x9F, as the container decodes them (ISO-8859-1): the C1 controls, such as NEL.
        assertThat(parse("a\u0085b").problem()).contains("control characters");
        assertThat(parse("a\u009fb").problem()).contains("control characters");
        assertThat(parse("caf\u00e9").key()).isEqualTo("caf\u00e9");
        assertThat(parse("a\u007fb").isInvalid()).isTrue();
    }

    @Test
    void keyLongerThanTheMaximumIsInvalid() {
        assertThat(parse("0123456789").key()).isEqualTo("0123456789");
        assertThat(parse("01234567890").problem()).contains("11 characters").contains("at most 10");
    }

    @Test
    void malformedStructuredStringsAreInvalid() {
        assertThat(parse("\"a\"b\"").isInvalid()).isTrue();
        assertThat(parse("\"a\\nb\"").isInvalid()).isTrue();
        assertThat(parse("\"ab\\\"").isInvalid()).isTrue();
    }

    @Test
    void keySentTwiceIsInvalid() {
        assertThat(this.parser.parse(Collections.enumeration(List.of("a", "b"))).problem())
                .contains("once");
    }

    private IdempotencyKeyParser.Result parse(String value) {
        return this.parser.parse(Collections.enumeration(List.of(value)));
    }
}
