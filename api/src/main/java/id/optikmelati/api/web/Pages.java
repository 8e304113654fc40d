package id.optikmelati.api.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The shop's screens. Each is a server-rendered shell (layout, labels in the user's language); its
 * module in {@code static/js} loads the data from the REST API with the event cursor it is exact at
 * and keeps it live through {@code realtime.js}.
 */
@Controller
@ShopPage
class Pages {

    @GetMapping("/")
    String dashboard() {
        return "dashboard";
    }

    @GetMapping("/stok")
    String stock() {
        return "stock";
    }

    @GetMapping("/penjualan/baru")
    String newSale() {
        return "sale-create";
    }

    @GetMapping("/pesanan")
    String orders() {
        return "orders";
    }

    @GetMapping("/transfer")
    String transfers() {
        return "transfers";
    }

    @GetMapping("/tutup-hari")
    String dayClose() {
        return "day-close";
    }

    @GetMapping("/laporan")
    String reports() {
        return "reports";
    }

    @GetMapping("/penjualan")
    String sales() {
        return "sales";
    }

    @GetMapping("/penjualan/{id:\\d+}")
    String sale() {
        return "sale-detail";
    }

    @GetMapping("/produk")
    String products() {
        return "products";
    }

    @GetMapping("/pengguna")
    String users() {
        return "users";
    }
}
