import pino from 'pino';

// Personal data and secrets never reach the logs: these paths are censored wherever they appear.
const REDACT = [
  'pin', 'token', 'auth', 'secret', 'idNumber', 'phone', 'name', 'input',
  '*.pin', '*.token', '*.auth', '*.secret', '*.idNumber', '*.phone', '*.name', '*.input',
  'req.headers.authorization',
];

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}
