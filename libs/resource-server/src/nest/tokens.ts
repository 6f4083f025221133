/** The injection token of the module's {@link ResourceServer}: `@Inject(RESOURCE_SERVER)`. */
export const RESOURCE_SERVER = Symbol('idp:resource-server');
