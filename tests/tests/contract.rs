//! The contract suite: the same cases against the in-memory double
//! (`pulse_shared::memory`, fast, one test per case) and against the AWS
//! adapter on the emulator (one test per area, its cases in order on one
//! fresh emulator), so that the double the handlers' unit tests run on
//! behaves as the real store does. A case is an async function generic over
//! the ports it exercises; every case makes its own ids, so the cases of an
//! area can share one store.
//!
//! Adding a case: write it in `contract/<area>.rs` and name it in that
//! file's `contract!` line.

use pulse_shared::store::Aws;

/// The adapter on a fresh emulator (kept alive by the returned guard).
async fn emulator() -> (pulse_local::emulator::Emulator, Aws) {
    pulse_tests::init_logs();
    pulse_local::store_on_emulator().await.unwrap_or_else(|e| panic!("the emulator did not start: {e}"))
}

/// Declares an area's cases: each on the double, all of them on the emulator.
#[macro_export]
macro_rules! contract {
    ($area:ident: $($case:ident),* $(,)?) => {
        mod on_memory {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(&pulse_shared::memory::Memory::for_tests()).await;
                }
            )*
        }

        #[tokio::test(flavor = "multi_thread")]
        async fn on_emulator() {
            let (_emulator, store) = $crate::emulator().await;
            $( eprintln!("contract case {}::{}", stringify!($area), stringify!($case)); $case(&store).await; )*
        }
    };
}

mod contract {
    pub mod contacts;
    pub mod sending;
    pub mod surveys;
}
