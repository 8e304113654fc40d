package id.optikmelati.api.sale;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface SaleRepository extends JpaRepository<Sale, Long> {

    Optional<Sale> findByCashierIdAndIdempotencyKey(long cashierId, String idempotencyKey);

    List<Sale> findByBranchIdOrderByIdDesc(long branchId, Pageable page);
}
