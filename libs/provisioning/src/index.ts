export { ProvisioningModule } from './provisioning.module.js';
export { TenantProvisioningService } from './tenant-provisioning.service.js';
