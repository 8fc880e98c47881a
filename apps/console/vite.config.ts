import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is bundled whole (no CDN): everything comes from npm and lands in dist/, which the
// API serves at `/`. `npm run build` builds it with the other packages (Nx).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // graphiql's react-compiler-runtime says "use no memo": meaningless once bundled
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
