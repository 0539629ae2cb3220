/** Tests run on the CPU reference backend (nn itself imports no backend). */
import '@backprop/backend-cpu';
