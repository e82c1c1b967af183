-- Customers are found by customer_key (the normalised e-mail among them) since 0010;
-- nothing looks orders up by e-mail, and every import paid to keep this index.
DROP INDEX orders_by_email;
