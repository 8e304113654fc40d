package id.optikmelati.api.branch;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface BranchRepository extends JpaRepository<Branch, Long> {

    /** Every branch's id, in order: the streams a change of the whole chain goes to. */
    @Query("select b.id from Branch b order by b.id")
    List<Long> findAllIds();
}
