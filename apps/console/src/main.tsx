import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiError } from './api/http';
import { ConsoleProvider, createServices } from './app/console-context';
import { createRouter } from './app/routes';
import { consoleLocations } from './lib/locations';
import './styles/app.css';

const services = createServices(consoleLocations(document.baseURI));
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // 4xx answers (403, 404) are final; retrying them only delays the message.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
  // After any change, what was read may be stale: lists and details fetch again.
  mutationCache: new MutationCache({ onSuccess: () => void queryClient.invalidateQueries() }),
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConsoleProvider value={services}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={createRouter(services.at.basePath)} />
      </QueryClientProvider>
    </ConsoleProvider>
  </StrictMode>,
);
