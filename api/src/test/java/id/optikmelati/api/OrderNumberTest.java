package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.ProductType;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Order numbers a cashier can read out: per branch and business day, counting up. */
class OrderNumberTest extends ApiTestBase {

    private long frame(long branch) {
        return newProduct(ProductType.FRAME, 350_000, Map.of(branch, 5));
    }

    private String order(String token, long branch) {
        var r = api().orderGlasses(token, branch, "Ibu Rina", frame(branch));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.body().get("orderNo").asString();
    }

    @Test
    void ordersOfABranchAreNumberedPerDayAndEachBranchCountsOnItsOwn() {
        String superadmin = token("superadmin");
        String day = LocalDate.now(ZoneId.of("Asia/Jakarta")).toString().replace("-", "");
        String first = order(superadmin, 1);
        String second = order(superadmin, 1);
        String other = order(superadmin, 2);

        assertThat(first).matches("PSN-1-" + day + "-\\d{3}");
        int n = Integer.parseInt(first.substring(first.lastIndexOf('-') + 1));
        assertThat(second).isEqualTo(String.format("PSN-1-%s-%03d", day, n + 1));
        assertThat(other).startsWith("PSN-2-" + day + "-");
    }
}
