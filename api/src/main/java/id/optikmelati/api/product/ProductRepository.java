package id.optikmelati.api.product;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface ProductRepository extends JpaRepository<Product, Long> {

    /**
     * The products a sale is made of, share-locked until it commits: an edit of their price waits
     * for the sale, so a sale is priced at the price it commits with.
     */
    @Lock(LockModeType.PESSIMISTIC_READ)
    @Query("select p from Product p where p.id in :ids order by p.id")
    List<Product> findAllForSale(Collection<Long> ids);

    Optional<Product> findByKode(String kode);

    Optional<Product> findByBarcode(String barcode);
}
