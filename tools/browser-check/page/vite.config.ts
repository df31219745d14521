// Deliberately empty: the point of the check is that mg's wasm backend needs no bundler configuration.
import { defineConfig } from 'vite';

export default defineConfig({});
