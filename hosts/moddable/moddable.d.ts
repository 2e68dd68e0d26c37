/**
 * Types of the Moddable SDK modules the Moddable host and the board apps import, as far
 * as they use them. Shapes follow the SDK's sources (modules/base/timer, modules/base/time,
 * modules/network/net, modules/io/socket/lwip, examples/io/tcp/tlssocket) and ECMA-419.
 */

/** Writes to the debug console (xsbug, or the serial line on a device). */
declare function trace(...text: unknown[]): void;

declare module "timer" {
  /** An opaque timer id; `Timer.clear` ignores ids of timers that already fired. */
  export type TimerId = object;
  export default class Timer {
    /** Calls `callback` once after `delay` ms (an integer; 0 = next turn of the loop). */
    static set(callback: (id: TimerId) => void, delay?: number, repeat?: number): TimerId;
    static repeat(callback: (id: TimerId) => void, delay: number): TimerId;
    static clear(id: TimerId | undefined): void;
  }
}

declare module "time" {
  export default class Time {
    /** Milliseconds since boot, a 32-bit integer that wraps (negative after 24.8 days). */
    static readonly ticks: number;
    /** Sets the wall clock (Unix seconds), as the SNTP setup does. */
    static set(seconds: number): void;
  }
}

declare module "net" {
  export default class Net {
    /**
     * Resolves a host name with the network interface's DNS servers (from DHCP). The
     * callback receives the dotted address, or undefined when the name did not resolve.
     */
    static resolve(host: string, callback: (name: string, address: string | undefined) => void): void;
  }
}

declare module "mc/config" {
  /** The manifest's `config`, with `key=value` pairs from the mcconfig command line. */
  const config: Readonly<Record<string, string | number | boolean | undefined>>;
  export default config;
}

declare module "embedded:io/socket/tcp" {
  export interface TCPOptions {
    /** A dotted IPv4 address: the socket does not resolve names. */
    address: string;
    port: number;
    nodelay?: boolean;
    format?: "buffer" | "number";
    /** `count` bytes can be read. */
    onReadable?(this: TCP, count: number): void;
    /** The connection is open (first call) or `count` bytes can be written without blocking. */
    onWritable?(this: TCP, count: number): void;
    /** The connection failed or ended (also on a clean close by the peer). */
    onError?(this: TCP): void;
  }
  export default class TCP {
    constructor(options: TCPOptions);
    /** Reads everything available, `count` bytes, or fills `into` (returning its length). */
    read(): ArrayBuffer | undefined;
    read(count: number): ArrayBuffer;
    read(into: ArrayBufferView | ArrayBuffer): number;
    /** Throws when there is less room than `bytes` ("would block"); returns the room left. */
    write(bytes: ArrayBufferView | ArrayBuffer): number;
    close(): void;
    format: "buffer" | "number";
  }
}

declare module "embedded:io/socket/udp" {
  export interface UDPOptions {
    port?: number;
    format?: "buffer";
    onReadable?(this: UDP, packets: number): void;
  }
  /** A received packet, with its sender. */
  export type UDPPacket = ArrayBuffer & { address: string; port: number };
  export default class UDP {
    constructor(options: UDPOptions);
    read(): UDPPacket | undefined;
    write(bytes: ArrayBufferView | ArrayBuffer, address: string, port: number): void;
    /** Joins a multicast group (lwip builds: ESP32; absent on the desktop simulators). */
    add?(group: string): void;
    remove?(group: string): void;
    close(): void;
  }
}

declare module "embedded:io/socket/tcp/tls" {
  import type TCP from "embedded:io/socket/tcp";
  import type { TCPOptions } from "embedded:io/socket/tcp";
  /** Options of Moddable's TLS session (ssl/session). */
  export interface SecureOptions {
    /** A trusted CA certificate, DER. */
    certificate?: ArrayBuffer;
    /** Client certificate chain, DER. */
    clientCertificates?: ArrayBuffer[];
    /** Client private key, DER (PKCS#8). */
    clientKey?: ArrayBuffer;
    /** Server name for SNI and the certificate check. */
    serverName?: string;
    /** Check the server's certificate (default true). */
    verify?: boolean;
  }
  export type TLSOptions = Omit<TCPOptions, "onReadable" | "onWritable" | "onError"> & {
    host: string;
    secure?: SecureOptions;
    /** The TCP socket class the TLS socket runs over. */
    TCP: { io: typeof TCP };
    onReadable?(this: TLSSocket, count: number): void;
    onWritable?(this: TLSSocket, count: number): void;
    onError?(this: TLSSocket): void;
  };
  export default class TLSSocket {
    constructor(options: TLSOptions);
    read(): ArrayBuffer | undefined;
    read(count: number): ArrayBuffer;
    read(into: ArrayBufferView | ArrayBuffer): number;
    write(bytes: ArrayBufferView | ArrayBuffer): number;
    close(): void;
  }
}

declare module "embedded:io/i2c" {
  export interface I2COptions {
    data: number;
    clock: number;
    hz: number;
    address: number;
    port?: number;
  }
  export default class I2C {
    constructor(options: I2COptions);
    read(count: number, stop?: boolean): ArrayBuffer;
    write(bytes: ArrayBufferView | ArrayBuffer, stop?: boolean): void;
    close(): void;
  }
}
