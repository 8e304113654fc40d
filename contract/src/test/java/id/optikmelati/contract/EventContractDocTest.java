package id.optikmelati.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docs/event-contract.md against the code: every example decodes with {@link EventCodec} and
 * survives a round trip through its payload type unchanged, and every object in it matches its
 * schema (no property the schema lacks, every required one present).
 */
class EventContractDocTest {

    private static final Pattern BLOCK = Pattern.compile("```json (schema|example) (\\S+)\\n(.*?)```", Pattern.DOTALL);
    private static final Map<String, Class<?>> PAYLOADS = Map.of(
            "sale.created", Payloads.SaleCreated.class,
            "stock.changed", Payloads.StockChanged.class,
            "order.ready", Payloads.OrderReady.class,
            "stock.forecast", Payloads.StockForecast.class);

    static Map<String, JsonNode> schemas = new LinkedHashMap<>();
    static Map<String, String> examples = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "event-contract.md"));
        Matcher m = BLOCK.matcher(doc);
        while (m.find()) {
            if (m.group(1).equals("schema")) {
                schemas.put(m.group(2), EventCodec.mapper().readTree(m.group(3)));
            } else {
                examples.put(m.group(2), m.group(3));
            }
        }
    }

    @Test
    void everyEventTypeHasASchemaAndAnExample() {
        for (EventType type : EventType.values()) {
            assertThat(schemas).containsKey(type.wireName());
            assertThat(examples).containsKey(type.wireName());
        }
        assertThat(schemas).containsKey("envelope");
    }

    @Test
    void everyExampleDecodesAndRoundTripsThroughItsPayloadType() {
        examples.forEach((type, json) -> {
            ShopEvent event = EventCodec.decode(json);
            assertThat(event.type().wireName()).isEqualTo(type);
            Object payload = event.dataAs(PAYLOADS.get(type));
            // compared as parsed text: a tree built from a record holds ints where parsed text holds longs
            assertThat(EventCodec.mapper().readTree(EventCodec.toJson(payload))).as(type)
                    .isEqualTo(EventCodec.mapper().readTree(event.data()));
            assertThat(EventCodec.mapper().readTree(EventCodec.encode(event)))
                    .isEqualTo(EventCodec.mapper().readTree(json));
        });
    }

    @Test
    void everyExampleMatchesItsSchema() {
        examples.forEach((type, json) -> {
            JsonNode envelope = EventCodec.mapper().readTree(json);
            conforms(type + " envelope", envelope, schemas.get("envelope"), schemas.get("envelope"));
            conforms(type, envelope.get("data"), schemas.get(type), schemas.get(type));
        });
    }

    private static void conforms(String where, JsonNode value, JsonNode schema, JsonNode root) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            schema = root.at(ref.substring(1));
            assertThat(schema.isMissingNode()).as(where + ": $ref " + ref).isFalse();
        }
        if (value.isObject() && schema.has("properties")) {
            Set<String> keys = new HashSet<>(value.propertyNames());
            Set<String> allowed = new HashSet<>(schema.get("properties").propertyNames());
            assertThat(allowed).as(where + ": properties in the schema").containsAll(keys);
            for (JsonNode required : schema.path("required")) {
                assertThat(keys).as(where + ": required").contains(required.asString());
            }
            for (String key : keys) {
                conforms(where + "." + key, value.get(key), schema.get("properties").get(key), root);
            }
        } else if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                conforms(where + "[]", item, schema.get("items"), root);
            }
        } else if (schema.has("enum")) {
            assertThat(schema.get("enum").valueStream().map(JsonNode::asString).toList()).as(where)
                    .contains(value.asString());
        } else if (schema.has("type")) {
            String t = schema.get("type").asString();
            boolean ok = switch (t) {
                case "integer" -> value.isIntegralNumber();
                case "number" -> value.isNumber();
                case "string" -> value.isString();
                case "object" -> value.isObject();
                case "array" -> value.isArray();
                default -> true;
            };
            assertThat(ok).as(where + " is " + t + ": " + value).isTrue();
        }
    }
}
