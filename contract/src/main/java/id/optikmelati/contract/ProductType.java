package id.optikmelati.contract;

/**
 * What the shop sells. {@link #oldSystemName()} is the label the old screens used; {@link
 * #codePrefix()} starts the old system's product codes (FR000123, LN000045, AC000007).
 */
public enum ProductType {
    FRAME("Frame", "frame_stock_update", "FR"),
    LENS("Lensa", "lensa_stock_update", "LN"),
    ACCESSORY("Aksesoris", "aksesoris_stock_update", "AC");

    private final String oldSystemName;
    private final String stockUpdateType;
    private final String codePrefix;

    ProductType(String oldSystemName, String stockUpdateType, String codePrefix) {
        this.oldSystemName = oldSystemName;
        this.stockUpdateType = stockUpdateType;
        this.codePrefix = codePrefix;
    }

    public String oldSystemName() {
        return oldSystemName;
    }

    public String stockUpdateType() {
        return stockUpdateType;
    }

    public String codePrefix() {
        return codePrefix;
    }
}
