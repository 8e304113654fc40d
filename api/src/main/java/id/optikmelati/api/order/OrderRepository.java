package id.optikmelati.api.order;

import jakarta.persistence.LockModeType;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface OrderRepository extends JpaRepository<CustomerOrder, Long> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select o from CustomerOrder o where o.id = :id")
    Optional<CustomerOrder> findForUpdate(long id);

    List<CustomerOrder> findTop200ByBranchIdOrderByIdDesc(long branchId);

    List<CustomerOrder> findTop200ByBranchIdAndStatusOrderByIdDesc(long branchId, OrderStatus status);

    /** Orders whose promised date has passed, not ready, not yet announced overdue; locked. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("""
            select o from CustomerOrder o where o.status in :notReady and o.overdueSince is null
            and o.promisedDate < :today order by o.branchId, o.id""")
    List<CustomerOrder> findFallingOverdue(LocalDate today, Collection<OrderStatus> notReady);

    @Query("select count(o) from CustomerOrder o where o.branchId = :branch and o.status in :notReady and o.overdueSince is not null")
    int countOverdue(long branch, Collection<OrderStatus> notReady);
}
