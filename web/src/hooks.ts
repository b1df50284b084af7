// Data-loading hooks: each returns loading, error and data, and a reload function.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, type Attributes, type ListResult, type Query } from './api';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error) => mine === seq.current && setState({ error, loading: false }),
    );
    // `load` is a fresh closure each render: `deps` say when it really changed.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

// One page of a server-side paged list.
export function useList<A = Attributes>(path: string | null, query: Query): Async<ListResult<A>> {
  const key = path === null ? null : path + '?' + JSON.stringify(query);
  return useAsync(
    () =>
      path === null ? Promise.resolve({ data: [], meta: emptyMeta() } as ListResult<A>) : api.list<A>(path, query),
    [key],
  );
}

export function emptyMeta() {
  return { 'current-page': 1, 'next-page': null, 'prev-page': null, 'total-pages': 0, 'total-count': 0 };
}
