package id.optikmelati.api.demo;

import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo chain, loaded once into an empty database when the {@code demo} profile is on: three
 * branches, four users (password {@code melati-demo}) and a catalogue of frames, lenses and
 * accessories with stock spread over every alert level.
 */
@Component
@Profile("demo")
class DemoData implements ApplicationRunner {

    static final String PASSWORD = "melati-demo";
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private static final String[] FRAME_BRANDS = {"Ray-Ban", "Oakley", "Gucci", "Prada", "Tom Ford", "Carrera",
        "Police", "Rodenstock", "Charmant", "Silhouette", "Levi's", "Puma", "Guess", "Versace", "Hugo Boss",
        "Lindberg"};
    private static final String[] FRAME_MODELS = {"Aviator", "Wayfarer", "Clubmaster", "Round Metal", "Cat Eye"};
    private static final String[] LENS_TYPES = {"Essilor Crizal Sapphire", "Hoya BlueControl", "Zeiss DriveSafe",
        "Nikon SeeCoat Blue", "Kodak Unique DNA", "Varilux Comfort Max", "Hoya Sensity Photochromic",
        "Zeiss SmartLife Progresif", "Essilor Eyezen Start", "Chemi U6 Blue Cut", "Transitions Gen S",
        "Polycarbonate Anti Radiasi", "Hoya Nulux Single Vision", "Zeiss ClearView", "Nikon Relaxsee",
        "Essilor Stellest"};
    private static final String[] LENS_INDEXES = {"1.56", "1.60", "1.67", "1.74"};
    private static final String[] ACCESSORIES = {"Kotak Kacamata Kulit", "Kotak Kacamata Hardcase",
        "Lap Microfiber", "Cairan Pembersih Lensa 60ml", "Tali Kacamata Sport", "Tali Kacamata Manik",
        "Nose Pad Silikon", "Obeng Mini Kacamata", "Klip Sunglasses Magnet", "Pouch Kacamata Beludru",
        "Spray Anti Embun", "Sekrup Engsel Kacamata", "Tisu Basah Lensa", "Dompet Lensa Kontak",
        "Cairan Lensa Kontak 120ml", "Gantungan Kacamata Mobil"};
    private static final String[] VARIANTS = {"Hitam", "Coklat", "Biru", "Merah"};

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;

    DemoData(JdbcClient jdbc, PasswordEncoder passwords) {
        this.jdbc = jdbc;
        this.passwords = passwords;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (jdbc.sql("select count(*) from branch").query(Long.class).single() > 0) {
            return;
        }
        String[][] branches = {{"1", "Cabang Utama"}, {"2", "Cabang Kemang"}, {"3", "Cabang Depok"}};
        for (String[] b : branches) {
            jdbc.sql("insert into branch (id, name) values (:id, :name)")
                    .param("id", Long.parseLong(b[0])).param("name", b[1]).update();
        }
        user("superadmin", Role.SUPER_ADMIN, null);
        user("admin1", Role.ADMIN, 1L);
        user("kasir1", Role.KASIR, 1L);
        user("kasir2", Role.KASIR, 2L);
        user("admin2", Role.ADMIN, 2L);
        user("kasir3", Role.KASIR, 3L);

        Random random = new Random(20_261_125L);
        List<String[]> catalogue = new ArrayList<>();
        for (String brand : FRAME_BRANDS) {
            for (String model : FRAME_MODELS) {
                catalogue.add(new String[] {"FRAME", "Frame " + brand + " " + model,
                    Long.toString(250_000 + 50_000L * random.nextInt(60)), brand});
            }
        }
        for (String lens : LENS_TYPES) {
            for (String index : LENS_INDEXES) {
                catalogue.add(new String[] {"LENS", "Lensa " + lens + " " + index,
                    Long.toString(150_000 + 25_000L * random.nextInt(90)), lens.split(" ")[0]});
            }
        }
        for (String accessory : ACCESSORIES) {
            for (String variant : VARIANTS) {
                catalogue.add(new String[] {"ACCESSORY", accessory + " " + variant,
                    Long.toString(15_000 + 5_000L * random.nextInt(28)), ""});
            }
        }
        int[] counters = new int[ProductType.values().length];
        for (String[] item : catalogue) {
            ProductType type = ProductType.valueOf(item[0]);
            String kode = String.format("%s%06d", type.codePrefix(), ++counters[type.ordinal()]);
            // EAN-13-like barcodes (899 is Indonesia's GS1 prefix), so a scanner works on the demo too
            String barcode = String.format("899%d%09d", type.ordinal() + 1, counters[type.ordinal()]);
            long productId = jdbc.sql("insert into product (kode, barcode, name, brand, type, price)"
                            + " values (:k, :bc, :n, :br, :t, :p) returning id")
                    .param("k", kode).param("bc", barcode).param("n", item[1]).param("br", item[3]).param("t", type.name())
                    .param("p", Long.parseLong(item[2])).query(Long.class).single();
            for (String[] b : branches) {
                jdbc.sql("insert into stock (product_id, branch_id, quantity) values (:p, :b, :q)")
                        .param("p", productId).param("b", Long.parseLong(b[0])).param("q", demoStock(random))
                        .update();
            }
        }
        log.info("demo data loaded: {} branches, {} products; log in as superadmin, admin1, kasir1 or kasir2"
                + " with password '{}'", branches.length, catalogue.size(), PASSWORD);
    }

    /** About 15% low (0-5), 15% medium (6-10), the rest normal (11-60). */
    private static int demoStock(Random random) {
        int roll = random.nextInt(100);
        if (roll < 15) {
            return random.nextInt(6);
        }
        if (roll < 30) {
            return 6 + random.nextInt(5);
        }
        return 11 + random.nextInt(50);
    }

    private void user(String username, Role role, Long branch) {
        jdbc.sql("insert into app_user (username, password_hash, role, branch_id) values (:u, :h, :r, :b)")
                .param("u", username).param("h", passwords.encode(PASSWORD)).param("r", role.name())
                .param("b", branch).update();
    }
}
