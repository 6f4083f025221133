// Reads Kubernetes objects (a JSON array) on stdin and checks each against the Kubernetes
// JSON schemas (kubernetes-models, ESM-only, hence a process of its own next to jest).
// Prints one line per invalid object and exits 1 if there is any.
import { text } from 'node:stream/consumers';
import process from 'node:process';

const GROUPS = {
  'apps/v1': 'apps/v1',
  'autoscaling/v2': 'autoscaling/v2',
  'networking.k8s.io/v1': 'networking.k8s.io/v1',
  'policy/v1': 'policy/v1',
  v1: 'v1',
};

const objects = JSON.parse(await text(process.stdin));
const problems = [];
for (const object of objects) {
  const group = GROUPS[object.apiVersion];
  const models = group && (await import(`kubernetes-models/${group}`));
  const Model = models?.[object.kind];
  if (!Model) {
    problems.push(`${object.kind} ${object.metadata?.name}: no schema for ${object.apiVersion}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${object.kind} ${object.metadata?.name}: ${error.message}`);
  }
}
if (problems.length) {
  process.stdout.write(problems.join('\n') + '\n');
  process.exit(1);
}
