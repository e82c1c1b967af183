// The Analytics view's text and the orders' channels and layouts, in English and
// Simplified Chinese (merged into i18n.ts).

export const analyticsEn = {
  "job.outcome.orders_skipped": "{n} rows that belong to no order (summary rows) left out.",
  "layout.shopify_orders": "Shopify orders export",
  "layout.etsy_sold_orders": "Etsy sold orders",
  "layout.etsy_sold_order_items": "Etsy sold order items",
  "layout.amazon_all_orders": "Amazon All Orders report",
  "layout.ebay_orders": "eBay Seller Hub orders report",
  "layout.woo_commerce_orders": "WooCommerce orders export",
  "channel.shopify": "Shopify",
  "channel.etsy": "Etsy",
  "channel.amazon": "Amazon",
  "channel.ebay": "eBay",
  "channel.woocommerce": "WooCommerce",
} as const;

export const analyticsZh: Record<keyof typeof analyticsEn, string> = {
  "job.outcome.orders_skipped": "已略过 {n} 个不属于任何订单的行（汇总行）。",
  "layout.shopify_orders": "Shopify 订单导出",
  "layout.etsy_sold_orders": "Etsy 已售订单",
  "layout.etsy_sold_order_items": "Etsy 已售订单商品",
  "layout.amazon_all_orders": "亚马逊全部订单报告",
  "layout.ebay_orders": "eBay 卖家中心订单报告",
  "layout.woo_commerce_orders": "WooCommerce 订单导出",
  "channel.shopify": "Shopify",
  "channel.etsy": "Etsy",
  "channel.amazon": "亚马逊",
  "channel.ebay": "eBay",
  "channel.woocommerce": "WooCommerce",
};
