//! The report's words in English and Chinese (the interface's two languages), with the
//! names of the analyses' groups, campaigns and methods as the app shows them.

use serde::{Deserialize, Serialize};

use crate::analytics::forecast::ForecastMethod;
use crate::analytics::recommend::Method;
use crate::analytics::rfm::RfmGroup;
use crate::analytics::segments::SegmentAction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ReportLanguage {
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-CN")]
    Chinese,
}

impl ReportLanguage {
    pub fn named(code: &str) -> Option<ReportLanguage> {
        match code {
            "en" => Some(ReportLanguage::English),
            "zh-CN" | "zh" => Some(ReportLanguage::Chinese),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ReportLanguage::English => "en",
            ReportLanguage::Chinese => "zh-CN",
        }
    }

    pub(super) fn words(self) -> &'static Words {
        match self {
            ReportLanguage::English => &ENGLISH,
            ReportLanguage::Chinese => &CHINESE,
        }
    }
}

pub(super) struct Words {
    /// Which language these are (the names below depend on it too).
    english: bool,
    pub title: &'static str,
    /// "{from}", "{to}" replaced.
    pub period: &'static str,
    pub all_orders: &'static str,
    pub channels: &'static str,
    pub all_channels: &'static str,
    pub currency: &'static str,
    pub made: &'static str,
    pub anonymised: &'static str,
    pub orders: &'static str,
    pub customers: &'static str,
    pub units: &'static str,
    pub net_sales: &'static str,
    pub gross_sales: &'static str,
    pub average_order_value: &'static str,
    pub repeat_rate: &'static str,
    pub refund_rate: &'static str,
    pub new_customers: &'static str,
    pub returning_customers: &'static str,
    pub month: &'static str,
    pub channel: &'static str,
    pub country: &'static str,
    pub sku: &'static str,
    pub product: &'static str,
    pub group: &'static str,
    pub campaign: &'static str,
    pub customer: &'static str,
    pub last_order: &'static str,
    pub first_order_month: &'static str,
    /// "{n}" replaced.
    pub month_n: &'static str,
    pub method: &'static str,
    pub hit_rate: &'static str,
    pub map: &'static str,
    pub over_popular: &'static str,
    pub if_bought: &'static str,
    pub also_bought: &'static str,
    pub support: &'static str,
    pub confidence: &'static str,
    pub lift: &'static str,
    pub per_week: &'static str,
    pub low: &'static str,
    pub high: &'static str,
    /// "{n}" replaced.
    pub next_weeks: &'static str,
    pub backtest_error: &'static str,
    pub order_now: &'static str,
    pub reviews: &'static str,
    pub average_stars: &'static str,
    pub top_complaint: &'static str,
    pub reviews_saying_it: &'static str,
    pub chart_net_sales_by_month: &'static str,
    pub chart_net_sales_by_channel: &'static str,
    pub chart_customers_by_group: &'static str,
    pub sheet_summary: &'static str,
    pub sheet_months: &'static str,
    pub sheet_channels: &'static str,
    pub sheet_countries: &'static str,
    pub sheet_products: &'static str,
    pub sheet_groups: &'static str,
    pub sheet_cohorts: &'static str,
    pub sheet_customers: &'static str,
    pub sheet_recommenders: &'static str,
    pub sheet_together: &'static str,
    pub sheet_forecast: &'static str,
    pub sheet_reviews: &'static str,
    pub table_months: &'static str,
    pub table_channels: &'static str,
    pub table_countries: &'static str,
    pub table_products: &'static str,
    pub table_groups: &'static str,
    pub table_cohorts: &'static str,
    pub note_cohorts: &'static str,
    pub table_customers: &'static str,
    pub table_recommenders: &'static str,
    /// "{n}" replaced.
    pub note_recommenders: &'static str,
    pub table_together: &'static str,
    pub table_forecast: &'static str,
    /// "{weeks}", "{mae}", "{mean}" replaced.
    pub note_forecast: &'static str,
    pub table_reviews: &'static str,
    pub note_reviews_need_model: &'static str,
    pub other_channel: &'static str,
}

static ENGLISH: Words = Words {
    english: true,
    title: "Sales report",
    period: "Orders from {from} to {to}",
    all_orders: "All orders",
    channels: "Channels: ",
    all_channels: "All channels",
    currency: "Amounts in ",
    made: "Made by Tradewind on this computer on ",
    anonymised: "Customers appear as anonymous codes: no names, e-mails or addresses.",
    orders: "Orders",
    customers: "Customers",
    units: "Units",
    net_sales: "Net sales",
    gross_sales: "Gross sales",
    average_order_value: "Average order value",
    repeat_rate: "Repeat purchase rate",
    refund_rate: "Refund rate",
    new_customers: "New customers",
    returning_customers: "Returning customers",
    month: "Month",
    channel: "Channel",
    country: "Country",
    sku: "SKU",
    product: "Product",
    group: "Group",
    campaign: "Suggested campaign",
    customer: "Customer",
    last_order: "Last order",
    first_order_month: "First order",
    month_n: "Month {n}",
    method: "Method",
    hit_rate: "Hit rate @10",
    map: "MAP@10",
    over_popular: "× best sellers",
    if_bought: "Bought",
    also_bought: "Also bought",
    support: "Support",
    confidence: "Confidence",
    lift: "Lift",
    per_week: "Per week",
    low: "Low (80 %)",
    high: "High (80 %)",
    next_weeks: "Next {n} weeks",
    backtest_error: "Backtest error",
    order_now: "Order now",
    reviews: "Reviews",
    average_stars: "Average stars",
    top_complaint: "Top complaint",
    reviews_saying_it: "Reviews saying it",
    chart_net_sales_by_month: "Net sales by month",
    chart_net_sales_by_channel: "Net sales by channel",
    chart_customers_by_group: "Customers by group",
    sheet_summary: "Summary",
    sheet_months: "Months",
    sheet_channels: "Channels",
    sheet_countries: "Countries",
    sheet_products: "Products",
    sheet_groups: "Customer groups",
    sheet_cohorts: "Cohorts",
    sheet_customers: "Best customers",
    sheet_recommenders: "Recommenders",
    sheet_together: "Bought together",
    sheet_forecast: "Forecast",
    sheet_reviews: "Reviews",
    table_months: "Sales by month",
    table_channels: "Sales by channel",
    table_countries: "Sales by country",
    table_products: "Best-selling products",
    table_groups: "Customer groups (RFM) and what to offer them",
    table_cohorts: "Customers who came back, by month of first order",
    note_cohorts: "The share of each month's new customers who ordered again 1, 2, 3, 6 and 12 months later.",
    table_customers: "Best customers",
    table_recommenders: "How well each recommender foresees the next order",
    note_recommenders: "Each repeat customer's last order held out ({n} customers): the share whose last order held one of the ten suggestions (hit rate), and against suggesting the best sellers to everyone.",
    table_together: "Products bought together",
    table_forecast: "Demand forecast per SKU",
    note_forecast: "Checked on the last {weeks} weeks the forecasts did not see: off by {mae} units per product and week (the plain average: {mean}).",
    table_reviews: "Reviews and recurring complaints",
    note_reviews_need_model: "The complaints that recur are found by a sentence model: install one in the Models view to see them here.",
    other_channel: "Other",
};

static CHINESE: Words = Words {
    english: false,
    title: "销售报告",
    period: "订单：{from} 至 {to}",
    all_orders: "全部订单",
    channels: "渠道：",
    all_channels: "全部渠道",
    currency: "金额单位：",
    made: "由 Tradewind 在本机生成于 ",
    anonymised: "顾客以匿名代码显示：不含姓名、邮箱或地址。",
    orders: "订单",
    customers: "顾客",
    units: "件数",
    net_sales: "净销售额",
    gross_sales: "销售总额",
    average_order_value: "平均订单金额",
    repeat_rate: "复购率",
    refund_rate: "退款率",
    new_customers: "新顾客",
    returning_customers: "回头客",
    month: "月份",
    channel: "渠道",
    country: "国家/地区",
    sku: "SKU",
    product: "商品",
    group: "分组",
    campaign: "建议活动",
    customer: "顾客",
    last_order: "最近订单",
    first_order_month: "首单月份",
    month_n: "第 {n} 个月",
    method: "方法",
    hit_rate: "命中率 @10",
    map: "MAP@10",
    over_popular: "相对畅销品",
    if_bought: "购买了",
    also_bought: "也购买了",
    support: "支持度",
    confidence: "置信度",
    lift: "提升度",
    per_week: "每周",
    low: "下限（80%）",
    high: "上限（80%）",
    next_weeks: "未来 {n} 周",
    backtest_error: "回测误差",
    order_now: "建议订购",
    reviews: "评价数",
    average_stars: "平均星级",
    top_complaint: "主要抱怨",
    reviews_saying_it: "提及的评价",
    chart_net_sales_by_month: "每月净销售额",
    chart_net_sales_by_channel: "各渠道净销售额",
    chart_customers_by_group: "各分组顾客数",
    sheet_summary: "概要",
    sheet_months: "月度",
    sheet_channels: "渠道",
    sheet_countries: "国家和地区",
    sheet_products: "商品",
    sheet_groups: "顾客分组",
    sheet_cohorts: "同期群",
    sheet_customers: "最佳顾客",
    sheet_recommenders: "推荐评估",
    sheet_together: "一起购买",
    sheet_forecast: "需求预测",
    sheet_reviews: "评价",
    table_months: "月度销售",
    table_channels: "各渠道销售",
    table_countries: "各国家/地区销售",
    table_products: "畅销商品",
    table_groups: "顾客分组（RFM）及建议活动",
    table_cohorts: "按首单月份的回购顾客",
    note_cohorts: "每月新顾客在 1、2、3、6、12 个月后再次下单的比例。",
    table_customers: "最佳顾客",
    table_recommenders: "各推荐方法对下一单的预测效果",
    note_recommenders: "留出每位回头客的最后一单（{n} 位顾客）：最后一单包含十个推荐之一的比例（命中率），并与向所有人推荐畅销品相比。",
    table_together: "经常一起购买的商品",
    table_forecast: "各 SKU 需求预测",
    note_forecast: "在预测未见过的最后 {weeks} 周上检验：每件商品每周平均偏差 {mae} 件（简单平均：{mean}）。",
    table_reviews: "评价与反复出现的抱怨",
    note_reviews_need_model: "反复出现的抱怨由句向量模型找出：在“模型”页面安装一个，即可在此看到。",
    other_channel: "其他",
};

impl Words {
    pub fn group(&self, group: RfmGroup) -> &'static str {
        if self.english {
            return group.name();
        }
        match group {
            RfmGroup::Champions => "冠军客户",
            RfmGroup::Loyal => "忠实客户",
            RfmGroup::Active => "活跃客户",
            RfmGroup::New => "新客户",
            RfmGroup::Promising => "潜力客户",
            RfmGroup::NeedsAttention => "需要关注",
            RfmGroup::AtRisk => "有流失风险",
            RfmGroup::PreviouslyLoyal => "曾经忠实",
            RfmGroup::AlmostLost => "即将流失",
            RfmGroup::Dormant => "沉睡客户",
            RfmGroup::Prospects => "潜在客户",
        }
    }

    pub fn action(&self, action: SegmentAction) -> &'static str {
        if self.english {
            return action.sentence();
        }
        match action {
            SegmentAction::EarlyAccess => "新品抢先体验，并邀请评价",
            SegmentAction::LoyaltyReward => "忠诚回馈",
            SegmentAction::CrossSell => "与其已购商品搭配的商品",
            SegmentAction::SecondOrder => "促成第二单的欢迎系列邮件",
            SegmentAction::Reminder => "限时提醒其最爱的商品",
            SegmentAction::WinBack => "针对其最爱商品的挽回优惠",
            SegmentAction::LastChance => "最后一次优惠，之后减少邮件",
        }
    }

    pub fn recommender(&self, method: Method) -> &'static str {
        let english = self.english;
        match (method, english) {
            (Method::Popular, true) => "Best sellers (baseline)",
            (Method::Rules, true) => "Bought together (rules)",
            (Method::ItemCf, true) => "Customers in common",
            (Method::Als, true) => "Buying patterns (ALS)",
            (Method::Content, true) => "Similar descriptions",
            (Method::Popular, false) => "畅销品（基准）",
            (Method::Rules, false) => "一起购买（关联规则）",
            (Method::ItemCf, false) => "共同顾客",
            (Method::Als, false) => "购买模式（ALS）",
            (Method::Content, false) => "相似描述",
        }
    }

    pub fn forecast_method(&self, method: ForecastMethod) -> &'static str {
        let english = self.english;
        match (method, english) {
            (ForecastMethod::Mean, true) => "Average",
            (ForecastMethod::Ses, true) => "Smoothed (SES)",
            (ForecastMethod::Croston, _) => "Croston",
            (ForecastMethod::Sba, true) => "Croston, bias-corrected (SBA)",
            (ForecastMethod::Tsb, true) => "Fading demand (TSB)",
            (ForecastMethod::Mean, false) => "平均值",
            (ForecastMethod::Ses, false) => "指数平滑（SES）",
            (ForecastMethod::Sba, false) => "Croston 偏差修正（SBA）",
            (ForecastMethod::Tsb, false) => "衰减需求（TSB）",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_names_groups_campaigns_and_methods_in_its_own_words() {
        let (english, chinese) = (
            ReportLanguage::English.words(),
            ReportLanguage::Chinese.words(),
        );
        assert_eq!(english.group(RfmGroup::AtRisk), "At risk");
        assert_eq!(chinese.group(RfmGroup::AtRisk), "有流失风险");
        assert_eq!(
            chinese.action(SegmentAction::WinBack),
            "针对其最爱商品的挽回优惠"
        );
        assert_eq!(english.recommender(Method::Als), "Buying patterns (ALS)");
        assert_eq!(
            chinese.forecast_method(ForecastMethod::Tsb),
            "衰减需求（TSB）"
        );
        assert_eq!(ReportLanguage::named("zh"), Some(ReportLanguage::Chinese));
    }
}
