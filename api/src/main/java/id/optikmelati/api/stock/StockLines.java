package id.optikmelati.api.stock;

import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.product.Product;
import id.optikmelati.api.product.ProductRepository;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/** The product lines of a delivery or a transfer: each product once, every product known. */
@Component
public class StockLines {

    /** One product and how many of it. */
    public record Line(@NotNull @Min(1) Long productId, @NotNull @Min(0) @Max(100_000) Integer quantity) {}

    private final ProductRepository products;

    StockLines(ProductRepository products) {
        this.products = products;
    }

    /**
     * The lines' products by id, the lines sorted by product (stock rows are locked in that order, so
     * two transactions over the same products never wait on each other in a circle).
     */
    public Map<Long, Product> products(List<Line> lines) {
        Set<Long> seen = new HashSet<>();
        for (Line line : lines) {
            if (!seen.add(line.productId())) {
                throw ApiProblem.badRequest("duplicate-line", line.productId());
            }
        }
        Map<Long, Product> found = new LinkedHashMap<>();
        products.findAllById(seen).forEach(p -> found.put(p.getId(), p));
        List<Long> unknown = seen.stream().filter(id -> !found.containsKey(id)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw ApiProblem.unprocessable("unknown-products", unknown).with("productIds", unknown);
        }
        return found;
    }

    public static List<Line> sorted(List<Line> lines) {
        return lines.stream().sorted(Comparator.comparing(Line::productId)).toList();
    }
}
