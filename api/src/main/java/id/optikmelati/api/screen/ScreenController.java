package id.optikmelati.api.screen;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.branch.Branch;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.dayclose.ClosedDays;
import id.optikmelati.api.omset.OmsetQuery;
import id.optikmelati.api.order.OverdueCount;
import id.optikmelati.api.outbox.EventPositions;
import id.optikmelati.api.product.ProductController.ProductStock;
import id.optikmelati.api.product.ProductQuery;
import id.optikmelati.api.sale.SaleService;
import id.optikmelati.api.sale.SaleView;
import id.optikmelati.contract.Payloads.Omset;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What every screen starts from: for the caller's view (their branch, or every branch for a super
 * admin), today's omset, the low-stock products, the overdue orders and the latest sales, with the
 * event cursor that state is exact at. The page opens its stream from that cursor, so it misses
 * nothing and applies nothing twice.
 */
@RestController
class ScreenController {

    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final OmsetQuery omset;
    private final ProductQuery products;
    private final SaleService sales;
    private final EventPositions positions;
    private final ShopProperties properties;
    private final Clock clock;
    private final OverdueCount overdue;
    private final ClosedDays closedDays;

    ScreenController(BranchRepository branches, BranchAccess branchAccess, OmsetQuery omset, ProductQuery products,
            SaleService sales, EventPositions positions, ShopProperties properties, Clock clock, OverdueCount overdue,
            ClosedDays closedDays) {
        this.overdue = overdue;
        this.closedDays = closedDays;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.omset = omset;
        this.products = products;
        this.sales = sales;
        this.positions = positions;
        this.properties = properties;
        this.clock = clock;
    }

    record BranchState(long id, String name, Omset omset, List<ProductStock> lowStock, int overdueOrders,
            boolean dayClosed) {}

    record Screen(String cursor, LocalDate date, List<BranchState> branches, Omset total, List<SaleView> latestSales) {}

    @GetMapping("/api/screen")
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Screen screen(@CurrentUser ShopPrincipal user, @RequestParam(required = false) Long branchId) {
        List<Branch> view = user.role().seesEveryBranch() && branchId == null
                ? branches.findAll(Sort.by("id"))
                : List.of(branches.findById(branchAccess.resolve(user, branchId)).orElseThrow());
        LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
        String cursor = positions.cursor(view.stream().map(Branch::getId).toList());
        List<BranchState> states = new ArrayList<>();
        List<SaleView> latest = new ArrayList<>();
        for (Branch b : view) {
            states.add(new BranchState(b.getId(), b.getName(), omset.of(b.getId(), today),
                    products.lowStock(b.getId()), overdue.of(b.getId()), closedDays.isClosed(b.getId(), today)));
            latest.addAll(sales.latestOf(b.getId(), 20));
        }
        latest.sort(Comparator.comparing(SaleView::createdAt).reversed());
        Omset total = new Omset(today, 0, states.stream().mapToLong(s -> s.omset().total()).sum(),
                states.stream().mapToLong(s -> s.omset().bpjs()).sum(),
                states.stream().mapToLong(s -> s.omset().umum()).sum(),
                states.stream().mapToLong(s -> s.omset().transactions()).sum());
        return new Screen(cursor, today, states, total, latest.subList(0, Math.min(20, latest.size())));
    }
}
