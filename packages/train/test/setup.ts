import '@backprop/backend-cpu';
import { setBackend } from '@backprop/core';

await setBackend('cpu');
