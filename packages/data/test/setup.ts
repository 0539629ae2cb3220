/** Tests run on the CPU backend (a devDependency: the data package itself never imports a backend). */
import '@backprop/backend-cpu';
import { setBackend } from '@backprop/core';

await setBackend('cpu');
