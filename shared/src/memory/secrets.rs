//! The double of the connected-app secrets (see [`crate::store::secrets`]):
//! kept apart from the table items, as Secrets Manager keeps them.

use super::Memory;
use crate::Result;

impl crate::ports::Secrets for Memory {
    async fn put_secret(&self, project_id: &str, value: &str) -> Result<()> {
        let now = crate::clock::now();
        self.lock().secrets.insert(project_id.to_string(), (value.to_string(), now));
        Ok(())
    }

    async fn get_secret(&self, project_id: &str) -> Result<Option<String>> {
        Ok(self.lock().secrets.get(project_id).map(|(v, _)| v.clone()))
    }

    async fn delete_secret(&self, project_id: &str) -> Result<bool> {
        Ok(self.lock().secrets.remove(project_id).is_some())
    }

    async fn secret_changed(&self, project_id: &str) -> Result<Option<String>> {
        Ok(self.lock().secrets.get(project_id).map(|(_, at)| at.clone()))
    }
}
