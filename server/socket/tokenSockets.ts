// Sockets are checked once, at the handshake; afterwards revocation reaches them through rooms.
// Room operations go through the adapter, so a logout or PIN change on one node disconnects the
// sockets holding the token on every node.
import type { Socket } from 'socket.io';
import type { Role } from '../../shared/roles';
import type { Access } from '../security/accessTokens';

/** What revocation needs of the Socket.IO server (any typed Server has it). */
export interface RoomCloser {
  in(room: string): { disconnectSockets(close?: boolean): void };
}

const sessionRoom = (id: string) => `session:${id}`;
const epochRoom = (role: Role, epoch: number) => `epoch:${role}:${epoch}`;

/** Puts a socket where revocation finds it, and closes it when its token expires (the page reconnects with its renewed one). */
export function holdAccess(socket: Socket, access: Access): void {
  void socket.join([sessionRoom(access.id), epochRoom(access.role, access.epoch)]);
  const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, access.expiresAt - Date.now()));
  socket.once('disconnect', () => clearTimeout(expiry));
}

/** After a logout: every socket of that session, on every node. */
export function disconnectSession(io: RoomCloser, id: string): void {
  io.in(sessionRoom(id)).disconnectSockets(true);
}

/** After a PIN change moved the role to `epoch`: every socket holding an older token of the role. */
export function disconnectEpochsBefore(io: RoomCloser, role: Role, epoch: number): void {
  // Each change disconnects the epoch before it, so older epochs have no sockets left.
  if (epoch > 0) io.in(epochRoom(role, epoch - 1)).disconnectSockets(true);
}
