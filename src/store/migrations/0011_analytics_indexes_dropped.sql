-- The analyses read the orders into memory (analytics::frame) and find what they need
-- there, and the import knows a channel's orders by id in memory: nothing looks orders up
-- by e-mail, channel, day or customer any more, and every import paid to keep these.
DROP INDEX orders_by_email;
DROP INDEX orders_by_channel;
DROP INDEX orders_by_day;
DROP INDEX orders_by_customer;
