import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ChartRenderer } from './template-subset.js';

const chart = new ChartRenderer(join(__dirname, '..', '..', 'deploy', 'helm', 'idp'));
/** Checks the objects against the Kubernetes schemas (in a process of its own: the schemas are ESM-only). */
function assertValidObjects(objects: unknown[]): void {
  const check = spawnSync(process.execPath, [join(__dirname, 'validate-objects.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (check.status !== 0) throw new Error(`invalid Kubernetes objects:\n${check.stdout}${check.stderr}`);
}
const REQUIRED = {
  publicUrl: 'https://id.example.com',
  secrets: { masterKey: 'a'.repeat(64), databaseUrl: 'postgres://db/idp', redisUrl: 'redis://cache:6379' },
};

function rendered(overrides: Record<string, unknown> = {}) {
  const documents = chart.renderChart({ ...REQUIRED, ...overrides });
  assertValidObjects(documents.map(({ __file: _file, ...object }) => object));
  const byKind = (kind: string) => documents.filter((document) => document.kind === kind);
  return { documents, byKind, one: (kind: string) => byKind(kind)[0] };
}

describe('the Helm chart (deploy/helm/idp)', () => {
  it('renders objects that are valid against the Kubernetes schemas, wired to one another', () => {
    const { one, byKind } = rendered();
    expect(byKind('Ingress')).toHaveLength(0);
    const deployment = one('Deployment');
    const pod = deployment.spec.template;
    const container = pod.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(container.image).toBe('ghcr.io/idp/auth-server:0.1.0');
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: one('ConfigMap').metadata.name } },
      { secretRef: { name: one('Secret').metadata.name } },
    ]);
    expect(one('ConfigMap').data).toMatchObject({ NODE_ENV: 'production', PUBLIC_URL: 'https://id.example.com' });
    expect(Object.keys(one('Secret').stringData).sort()).toEqual(['DATABASE_URL', 'MASTER_KEY', 'REDIS_URL']);
    // Every selector picks the pods of this deployment.
    expect(deployment.spec.selector.matchLabels).toEqual(pod.metadata.labels);
    expect(one('Service').spec.selector).toEqual(pod.metadata.labels);
    expect(one('PodDisruptionBudget').spec.selector.matchLabels).toEqual(pod.metadata.labels);
    expect(one('HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    // With an autoscaler the deployment leaves the replica count to it.
    expect(deployment.spec.replicas).toBeUndefined();
  });

  it('refuses to render without the public URL or the secrets it needs', () => {
    expect(() => chart.renderChart({ ...REQUIRED, publicUrl: '' })).toThrow(/publicUrl is required/);
    expect(() => chart.renderChart({ ...REQUIRED, secrets: { ...REQUIRED.secrets, masterKey: '' } })).toThrow(
      /masterKey is required/,
    );
  });

  it('uses a Secret the operator manages instead of creating one', () => {
    const { one, byKind } = rendered({ secrets: { existingSecret: 'idp-credentials' } });
    expect(byKind('Secret')).toHaveLength(0);
    expect(one('Deployment').spec.template.spec.containers[0].envFrom[1]).toEqual({
      secretRef: { name: 'idp-credentials' },
    });
  });

  it('adds an Ingress for the public host with TLS, and bootstrap credentials when given', () => {
    const { one } = rendered({
      ingress: { enabled: true, className: 'nginx', tlsSecretName: 'id-tls' },
      secrets: {
        ...REQUIRED.secrets,
        bootstrapAdminUsername: 'root',
        bootstrapAdminPassword: 'a long passphrase here',
      },
    });
    expect(one('Ingress').spec).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['id.example.com'], secretName: 'id-tls' }],
      rules: [{ host: 'id.example.com' }],
    });
    expect(one('Secret').stringData).toMatchObject({ BOOTSTRAP_ADMIN_USERNAME: 'root' });
  });

  it('runs a fixed number of replicas when autoscaling is off', () => {
    const { one, byKind } = rendered({ autoscaling: { enabled: false }, replicaCount: 3 });
    expect(byKind('HorizontalPodAutoscaler')).toHaveLength(0);
    expect(one('Deployment').spec.replicas).toBe(3);
  });
});
