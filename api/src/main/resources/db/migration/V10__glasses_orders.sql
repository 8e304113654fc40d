-- Glasses orders: the customer and their phone, the prescription, the frame and lenses reserved from
-- the branch's stock, the deposit (DP) and the balance, a promised date, and the lab's statuses.
alter table customer_order drop constraint customer_order_status_check;
update customer_order set status = 'ORDERED' where status = 'IN_PROGRESS';
alter table customer_order
    add constraint customer_order_status_check
        check (status in ('ORDERED', 'AT_LAB', 'READY', 'PICKED_UP', 'CANCELLED')),
    alter column description set default '',
    add column customer_phone text,
    add column promised_date  date,
    add column total          bigint not null default 0 check (total >= 0),
    add column deposit        bigint not null default 0 check (deposit >= 0),
    add constraint customer_order_deposit_within_total check (deposit <= total),
    -- the sale the pickup booked (the order's total, in the omset of the pickup's day)
    add column sale_id        bigint references sale (id),
    add column at_lab_at      timestamptz,
    add column cancelled_at   timestamptz,
    -- when the order was announced overdue (past its promised date, not ready); once per order
    add column overdue_since  timestamptz,
    -- the prescription, per eye (r_ right, l_ left): dioptres, axis in degrees; PD in millimetres
    add column r_sph numeric(5, 2), add column r_cyl numeric(5, 2), add column r_axis integer, add column r_add numeric(4, 2),
    add column l_sph numeric(5, 2), add column l_cyl numeric(5, 2), add column l_axis integer, add column l_add numeric(4, 2),
    add column pd    numeric(4, 1);
update customer_order set promised_date = (created_at at time zone 'Asia/Jakarta')::date where promised_date is null;
alter table customer_order alter column promised_date set not null;
create index customer_order_due on customer_order (promised_date)
    where status in ('ORDERED', 'AT_LAB') and overdue_since is null;

-- what the order is made of, at the price agreed when it was made
create table order_item (
    id          bigserial primary key,
    order_id    bigint  not null references customer_order (id),
    product_id  bigint  not null references product (id),
    quantity    integer not null check (quantity between 1 and 1000),
    unit_price  bigint  not null check (unit_price >= 0),
    unique (order_id, product_id)
);

alter table stock_movement drop constraint stock_movement_kind_check;
alter table stock_movement add constraint stock_movement_kind_check
    check (kind in ('SOLD', 'RESTOCKED', 'CORRECTED', 'RETURNED', 'TRANSFERRED_OUT', 'TRANSFERRED_IN',
                    'RESERVED', 'RELEASED'));
