-- Every change of a product's stock in a branch, written in the transaction of the change: the history
-- the reports read (movement, stockouts, how long products sat low, sales rates for the forecast).
create table stock_movement (
    id              bigserial primary key,
    product_id      bigint      not null references product (id),
    branch_id       bigint      not null references branch (id),
    kind            text        not null check (kind in ('SOLD', 'RESTOCKED', 'CORRECTED')),
    delta           integer     not null check (delta <> 0),
    quantity_after  integer     not null check (quantity_after >= 0),
    at              timestamptz not null
);
create index stock_movement_branch_at on stock_movement (branch_id, at);
create index stock_movement_branch_product_at on stock_movement (branch_id, product_id, at);
-- for peak hours and branch comparison over long periods
create index sale_branch_created on sale (branch_id, created_at);
