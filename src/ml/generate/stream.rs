//! Tokens to text as they come: a byte-level token may hold part of a character (a "ß"
//! or an emoji spans tokens), so a piece is handed on only once what it ends with is a
//! whole character, and the pieces together are exactly the decoded whole.

use tokenizers::Tokenizer;

pub struct TextStream<'t> {
    tokenizer: &'t Tokenizer,
    tokens: Vec<u32>,
    text: String,
    /// How much of `text` was handed on.
    handed: usize,
}

impl<'t> TextStream<'t> {
    pub fn new(tokenizer: &'t Tokenizer) -> TextStream<'t> {
        TextStream {
            tokenizer,
            tokens: Vec::new(),
            text: String::new(),
            handed: 0,
        }
    }

    fn decode(&mut self) -> tokenizers::Result<()> {
        self.text = self.tokenizer.decode(&self.tokens, true)?;
        Ok(())
    }

    /// The text `token` completes, empty while a character is still unfinished.
    pub fn push(&mut self, token: u32) -> tokenizers::Result<String> {
        self.tokens.push(token);
        self.decode()?;
        if self.text.ends_with(char::REPLACEMENT_CHARACTER) {
            return Ok(String::new());
        }
        Ok(self.hand_on())
    }

    /// What is left once no token follows.
    pub fn finish(&mut self) -> tokenizers::Result<String> {
        self.decode()?;
        Ok(self.hand_on())
    }

    fn hand_on(&mut self) -> String {
        // Decoding more tokens only appends to byte-level text.
        let start = self.handed.min(self.text.len());
        let piece = self.text.get(start..).unwrap_or_default().to_string();
        self.handed = self.text.len();
        piece
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn tokens(&self) -> usize {
        self.tokens.len()
    }
}
