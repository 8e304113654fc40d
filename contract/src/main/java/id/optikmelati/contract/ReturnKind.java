package id.optikmelati.contract;

/** A void takes back a whole sale; a return some of its items. */
public enum ReturnKind {
    VOID,
    RETURN
}
