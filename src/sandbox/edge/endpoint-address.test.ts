import { describe, expect, it } from 'vitest';
import { cloudListenAddress, parseUpstreamUrl } from './endpoint-address';

describe('cloudListenAddress', () => {
  it('listens only for tcp URLs on loopback hosts with a port', () => {
    expect(cloudListenAddress('tcp://127.0.0.1:21234')).toEqual({ host: '127.0.0.1', port: 21234 });
    expect(cloudListenAddress('tcp://localhost:21234')).toEqual({ host: '127.0.0.1', port: 21234 });
    expect(cloudListenAddress('tcp://127.0.0.2:0')).toEqual({ host: '127.0.0.2', port: 0 });
    expect(cloudListenAddress('tcp://[::1]:21234')).toEqual({ host: '::1', port: 21234 });
    expect(cloudListenAddress('tcp://1.tcp.ngrok.io:21234')).toBeUndefined();
    expect(cloudListenAddress('tcp://10.0.0.1:21234')).toBeUndefined();
    expect(cloudListenAddress('tcp://127.0.0.1')).toBeUndefined();
    expect(cloudListenAddress('https://127.0.0.1:8443')).toBeUndefined();
    expect(cloudListenAddress('not a url')).toBeUndefined();
  });
});

describe('parseUpstreamUrl', () => {
  it('reads the forms agents report', () => {
    expect(parseUpstreamUrl('tcp://localhost:22')).toEqual({ host: '127.0.0.1', port: 22 });
    expect(parseUpstreamUrl('127.0.0.1:3389')).toEqual({ host: '127.0.0.1', port: 3389 });
    expect(parseUpstreamUrl('2222')).toEqual({ host: '127.0.0.1', port: 2222 });
    expect(parseUpstreamUrl('tcp://[::1]:22')).toEqual({ host: '::1', port: 22 });
    expect(parseUpstreamUrl('tcp://192.168.1.10:22')).toEqual({ host: '192.168.1.10', port: 22 });
    expect(parseUpstreamUrl('tcp://localhost')).toBeUndefined();
    expect(parseUpstreamUrl('')).toBeUndefined();
    expect(parseUpstreamUrl('99999')).toBeUndefined();
  });
});
