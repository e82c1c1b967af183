//! What this computer offers the models: its memory, its cores and a GPU this build can
//! use. Read for the first run's proposals; nothing here changes a setting.

use serde::Serialize;

use super::device::{self, DeviceChoice};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Machine {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub memory_bytes: u64,
    pub cores: usize,
    /// A GPU this build of Tradewind can run models on ("cuda", "metal"), if any.
    pub gpu: Option<String>,
}

impl Machine {
    /// This computer, as the operating system tells it.
    pub fn this_one() -> Machine {
        let mut system = sysinfo::System::new();
        system.refresh_memory();
        let gpu = [DeviceChoice::Cuda, DeviceChoice::Metal]
            .into_iter()
            .filter(|choice| device::compiled().contains(&choice.name()))
            .find(|choice| device::select(*choice).fallback.is_none())
            .map(|choice| choice.name().to_string());
        Machine {
            memory_bytes: system.total_memory(),
            cores: std::thread::available_parallelism().map_or(1, |cores| cores.get()),
            gpu,
        }
    }

    /// The memory in whole mebibytes.
    pub fn memory_mb(&self) -> u64 {
        self.memory_bytes / (1 << 20)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_computer_has_memory_and_cores() {
        let machine = Machine::this_one();
        assert!(machine.memory_mb() > 256, "{machine:?}");
        assert!(machine.cores >= 1);
    }
}
