package id.optikmelati.api.order;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface OrderRepository extends JpaRepository<CustomerOrder, Long> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select o from CustomerOrder o where o.id = :id")
    Optional<CustomerOrder> findForUpdate(long id);

    List<CustomerOrder> findByBranchIdOrderByIdDesc(long branchId);

    List<CustomerOrder> findByBranchIdAndStatusOrderByIdDesc(long branchId, OrderStatus status);
}
