/** Command-line options of the weather-mesh demo. */

export interface MeshArgs {
  /** External broker URL; undefined starts the embedded aedes broker. */
  broker: string | undefined;
  /** Port of the embedded broker (0 = any free port). */
  mqttPort: number;
  /** Dashboard and WebSocket port. */
  port: number;
  host: string;
  /** Stop after this many seconds (default: run until Ctrl-C). */
  seconds: number | undefined;
  /** Station sampling interval, ms. */
  sampleMs: number;
  help: boolean;
}

export const USAGE = `usage: npm start -- [options]

Runs the weather mesh on this machine: three stations (alpha, beta, gamma) publishing
over MQTT, a hub deriving dew point and a mesh summary, and a live dashboard.

  --broker mqtt://host:port   use this MQTT broker instead of the embedded one (e.g. mosquitto)
  --mqtt-port N               port of the embedded broker (default 1883; 0 = any free port)
  --port N                    dashboard and WebSocket port (default 8080)
  --host ADDR                 address to serve the dashboard on (default 127.0.0.1)
  --sample-ms N               initial station sampling interval (default 1000)
  --seconds N                 stop after N seconds (default: until Ctrl-C)
  --help                      this text`;

/** Parses argv; throws an Error naming a bad option. */
export function parseArgs(argv: readonly string[]): MeshArgs {
  const a: MeshArgs = { broker: undefined, mqttPort: 1883, port: 8080, host: "127.0.0.1", seconds: undefined, sampleMs: 1000, help: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = (min: number, max: number) => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be an integer from ${min} to ${max}, got "${v}"`);
      return n;
    };
    switch (flag) {
      case "--help":
      case "-h":
        a.help = true;
        break;
      case "--broker": {
        const url = value();
        if (!/^mqtts?:\/\/./.test(url)) throw new Error(`--broker must be an mqtt:// or mqtts:// URL, got "${url}"`);
        a.broker = url;
        break;
      }
      case "--mqtt-port":
        a.mqttPort = int(0, 65535);
        break;
      case "--port":
        a.port = int(0, 65535);
        break;
      case "--host":
        a.host = value();
        break;
      case "--sample-ms":
        a.sampleMs = int(100, 60_000);
        break;
      case "--seconds": {
        const v = Number(value());
        if (!(v > 0)) throw new Error(`--seconds must be a positive number`);
        a.seconds = v;
        break;
      }
      default:
        throw new Error(`unknown option "${flag}" (try --help)`);
    }
  }
  return a;
}
