// Whether the page on screen holds a queue connection: the header then shows the round and the
// connection. Apart from the queue store, so the app's first download holds neither the store nor
// the Socket.IO client it loads; a resident's phone pages never need them.
import { shallowRef } from 'vue';

export const queueActive = shallowRef(false);
