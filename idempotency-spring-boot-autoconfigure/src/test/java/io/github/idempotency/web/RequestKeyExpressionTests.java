package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;

/**
 * What a key expression over the request reads, and what it makes of values that cannot be keys.
 */
class RequestKeyExpressionTests {

    private final IdempotencyKeyParser keys = new IdempotencyKeyParser(255);

    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks");

    @Test
    void bodyFieldByIndexOrByNameIsTheKey() {
        String event = "{\"id\":\"evt_1\",\"data\":{\"object\":{\"id\":\"ch_9\"}},\"items\":[{\"sku\":\"a-1\"}]}";

        assertThat(key("#body['id']", event)).isEqualTo("evt_1");
        assertThat(key("#body.id", event)).isEqualTo("evt_1");
        assertThat(key("#body.data.object.id", event)).isEqualTo("ch_9");
        assertThat(key("#body['items'][0]['sku']", event)).isEqualTo("a-1");
        assertThat(key("#body.type + ':' + #body.id", "{\"id\":\"evt_1\",\"type\":\"dispute\"}"))
                .isEqualTo("dispute:evt_1");
    }

    @Test
    void numbersAndBooleansInTheBodyAreKeysAsSent() {
        assertThat(key("#body.id", "{\"id\":42}")).isEqualTo("42");
        assertThat(key("#body.id", "{\"id\":12345678901234567890123}")).isEqualTo("12345678901234567890123");
        assertThat(key("#body.id", "{\"id\":1.50}")).isEqualTo("1.50");
        assertThat(key("#body.id", "{\"id\":true}")).isEqualTo("true");
    }

    @Test
    void absentNullOrUnreachableBodyValueIsAMissingKey() {
        assertThat(evaluate("#body['id']", "{\"type\":\"ping\"}").isMissing()).isTrue();
        assertThat(evaluate("#body.id", "{\"type\":\"ping\"}").isMissing()).isTrue();
        assertThat(evaluate("#body.id", "{\"id\":null}").isMissing()).isTrue();
        assertThat(evaluate("#body.data.id", "{\"type\":\"ping\"}").isMissing()).isTrue();
        assertThat(evaluate("#body['id']", "").isMissing()).isTrue();
        assertThat(evaluate("#body['id']", "[1, 2]").isMissing()).isTrue();
    }

    @Test
    void objectsListsBlankAndOverlongValuesAreInvalidKeys() {
        assertThat(evaluate("#body.id", "{\"id\":{\"v\":1}}").problem())
                .isEqualTo("it is an object, not a text or a number");
        assertThat(evaluate("#body.id", "{\"id\":[1]}").problem()).isEqualTo("it is a list, not a text or a number");
        assertThat(evaluate("#body.id", "{\"id\":\" \"}").problem()).contains("empty or blank");
        assertThat(evaluate("#body.id", "{\"id\":\"" + "x".repeat(256) + "\"}").problem())
                .contains("256 characters");
        assertThat(evaluate("#body.id", "{\"id\":\"a\\u0007b\"}").problem()).contains("control characters");
    }

    @Test
    void bodyThatIsNotJsonIsAnInvalidKey() {
        assertThat(evaluate("#body.id", "id=evt_1").problem()).isEqualTo("the request body is not valid JSON");
    }

    @Test
    void bodyIsNotParsedWhenTheExpressionDoesNotReadIt() {
        this.request.addHeader("X-Delivery-Id", "d-1");

        assertThat(key("#headers['X-Delivery-Id']", "this is not JSON")).isEqualTo("d-1");
    }

    @Test
    void headersAreReadCaseInsensitivelyWithTheirFirstValue() {
        this.request.addHeader("X-Delivery-Id", "d-1");
        this.request.addHeader("X-Delivery-Id", "d-2");

        assertThat(key("#headers['x-delivery-id']", "")).isEqualTo("d-1");
        assertThat(key("#headers['X-DELIVERY-ID']", "")).isEqualTo("d-1");
        assertThat(evaluate("#headers['X-Other']", "").isMissing()).isTrue();
    }

    @Test
    void pathVariablesAreThoseOfTheMatchedMapping() {
        this.request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("orderId", "o-7"));

        assertThat(key("#pathVariables.orderId", "")).isEqualTo("o-7");
        assertThat(key("#pathVariables['orderId']", "")).isEqualTo("o-7");
    }

    @Test
    void queryParametersAreDecodedFirstValuesOfTheQueryStringOnly() {
        this.request.setQueryString("batch=a+b%21&batch=second&flag");
        this.request.setContentType("application/x-www-form-urlencoded");
        this.request.addParameter("form", "from-the-body");

        assertThat(key("#query['batch']", "")).isEqualTo("a b!");
        assertThat(key("#query.flag + '-'", "")).isEqualTo("-");
        assertThat(evaluate("#query['form']", "").isMissing()).isTrue();
    }

    @Test
    void unparsableExpressionIsRefusedWithTheParsersReason() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RequestKeyExpression.parse("#body['id'"))
                .withMessageStartingWith("is not a valid SpEL expression");
    }

    @Test
    void expressionReadingVariablesARequestDoesNotHaveIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RequestKeyExpression.parse("#event.id + #p0"))
                .withMessageContaining("#event, #p0")
                .withMessageContaining("#body, #headers, #pathVariables and #query");
    }

    private String key(String expression, String body) {
        IdempotencyKeyParser.Result result = evaluate(expression, body);
        assertThat(result.problem()).isNull();
        return result.key();
    }

    private IdempotencyKeyParser.Result evaluate(String expression, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return RequestKeyExpression.parse(expression)
                .evaluate(this.request, new BufferedBody(bytes, bytes.length), this.keys);
    }
}
