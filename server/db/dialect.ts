// Which database a connection speaks; its own file so the migrations need not import the connection (connect.ts runs them).
export type Dialect = 'sqlite' | 'postgres';
