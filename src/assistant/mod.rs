//! The writing assistant: replies to buyers drafted by a small local model from the
//! seller's own facts (the order, the listings, the shop's policies), in the seller's
//! language beside the buyer's; buyers' messages imported from a file to answer. The model never sees an order number, price, SKU or URL
//! it could alter: they are masked (the listings' protector) and filled back in. The
//! prompts are in `prompts.rs`, versioned.

mod context;
pub mod copy;
pub mod draft;
mod error;
pub mod messages;
pub mod policies;
pub mod prompts;
pub mod reply;
pub mod shorten;

pub use context::{ListingFacts, OrderFacts};
pub use copy::CopyKind;
pub use draft::CopyDraft;
pub use error::AssistantError;
pub use messages::{BuyerMessage, MessagesImported};
pub use policies::ShopPolicies;
pub use reply::{ReplyDraft, ReplyTools, ToCheck, draft_reply};
