package id.optikmelati.api.sale;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface SaleRepository extends JpaRepository<Sale, Long> {

    Optional<Sale> findByCashierIdAndIdempotencyKey(long cashierId, String idempotencyKey);

    List<Sale> findByBranchIdOrderByIdDesc(long branchId, Pageable page);

    /** The sale, locked until commit: two admins returning its items at once go one after the other. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select s from Sale s where s.id = :id")
    Optional<Sale> findForUpdate(long id);
}
