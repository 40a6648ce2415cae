import { type ChannelModel, type ConfirmChannel, connect, type RecoveringChannelModel } from 'amqplib';

/**
 * What the parts of one transport share: the live connection's channel model and publishing
 * channel (both undefined while it reconnects), and whether the transport was closed.
 */
export interface RabbitLink {
  model: ChannelModel | undefined;
  pub: ConfirmChannel | undefined;
  closed: boolean;
}

/** What a connection loss, a reconnect and a failed reconnect tell the transport's owner. */
export type RabbitConnectionEvent = 'connect' | 'disconnect' | 'connect-failed';

export interface RabbitConnectOptions {
  url: string;
  connectionName: string;
  /** Delay before the nth reconnect attempt. */
  reconnectDelay: (attempt: number) => number;
  /** Runs after every (re)connect, before the connection counts as up. */
  setup: (m: ChannelModel) => Promise<void>;
  link: RabbitLink;
  onConnectionEvent?: ((event: RabbitConnectionEvent, error?: Error) => void) | undefined;
}

/**
 * Connects with amqplib's recovery: on a connection loss the link is emptied at once (publishes fail
 * fast instead of waiting on a dead socket), and every reconnect, retried without end, runs `setup`.
 */
export async function connectRabbit(options: RabbitConnectOptions): Promise<RecoveringChannelModel> {
  const { link } = options;
  const connection: RecoveringChannelModel = await connect(options.url, {
    clientProperties: { connection_name: options.connectionName },
    // Without it Nagle's algorithm holds small frames (publish, ack) for ~40 ms each.
    noDelay: true,
    recovery: {
      maxRetries: Number.POSITIVE_INFINITY,
      initialMaxRetries: 0,
      calculateDelay: options.reconnectDelay,
      setup: options.setup,
    },
  });
  connection.on('error', () => {});
  connection.on('disconnect', (err: Error) => {
    link.pub = undefined;
    link.model = undefined;
    options.onConnectionEvent?.('disconnect', err);
  });
  connection.on('connect', () => options.onConnectionEvent?.('connect'));
  connection.on('connect-failed', (err: Error) => options.onConnectionEvent?.('connect-failed', err));
  return connection;
}
