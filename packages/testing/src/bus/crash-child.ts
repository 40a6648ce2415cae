// A consumer process for the kill -9 conformance test: it subscribes, reports the first delivery on
// stdout, and then never finishes the handler, so the test can kill it mid-handler.
import { createNatsTransport, createRabbitTransport, type Transport } from '@interlink/bus';

/** What the parent test tells the child, as JSON in `BUS_CRASH_CHILD`. */
export interface CrashChildSpec {
  kind: 'nats' | 'rabbitmq';
  options: Record<string, unknown>;
  pattern: string;
  group: string;
  maxDeliver: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.BUS_CRASH_CHILD ?? '{}') as CrashChildSpec;
  const transport: Transport =
    spec.kind === 'nats'
      ? await createNatsTransport(spec.options)
      : await createRabbitTransport(spec.options);
  await transport.subscribe(
    [spec.pattern],
    async (delivery) => {
      process.stdout.write(`started ${delivery.id} ${delivery.attempt}\n`);
      await new Promise(() => {});
    },
    { group: spec.group, maxDeliver: spec.maxDeliver, backoff: () => 20 },
  );
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`crash child failed: ${String(error)}\n`);
  process.exit(1);
});
